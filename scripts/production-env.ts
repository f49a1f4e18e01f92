// Imported first by the benchmarks: libraries such as graphql-js choose their production
// code paths from NODE_ENV when they are loaded, as they do in a deployment.
process.env.NODE_ENV ??= 'production';

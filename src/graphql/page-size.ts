/** The largest page a connection gives (`first`); the cost estimate counts an unknown `first` as this. */
export const MAX_PAGE_SIZE = 100;

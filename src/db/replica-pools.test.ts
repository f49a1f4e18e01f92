import type { PoolClient } from 'pg';
import { describeReplica, ReplicaPools } from './replica-pools';

/** A stand-in pg Pool whose connections succeed while `up`. */
function fakePool(name: string) {
  const pool = {
    up: true,
    released: [] as Array<Error | undefined>,
    async connect(): Promise<PoolClient> {
      if (!pool.up) throw new Error(`connect ECONNREFUSED ${name}`);
      return { name, release: (err?: Error) => pool.released.push(err) } as unknown as PoolClient;
    },
  };
  return pool;
}

function replicas(count: number) {
  const pools = Array.from({ length: count }, (_, i) => fakePool(`r${i}`));
  const urls = pools.map((_, i) => `postgres://user:secret@r${i}:5432/app`);
  const log = { info: jest.fn(), warn: jest.fn() };
  const set = new ReplicaPools({ slaves: pools } as unknown as ConstructorParameters<typeof ReplicaPools>[0], urls);
  set.setLog(log);
  return { pools, set, log };
}

const nameOf = (client: PoolClient) => (client as unknown as { name: string }).name;

describe('ReplicaPools', () => {
  it('takes the replicas in turn', async () => {
    const { set } = replicas(2);
    const names = [];
    for (let i = 0; i < 4; i++) names.push(nameOf((await set.connect())[0]));
    expect(names).toEqual(['r0', 'r1', 'r0', 'r1']);
  });

  it('skips a replica that refused a connection, logging it once without its password, and says when it is back', async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const { pools, set, log } = replicas(2);
      pools[0].up = false;
      expect(nameOf((await set.connect())[0])).toBe('r1');
      expect(nameOf((await set.connect())[0])).toBe('r1');
      expect(nameOf((await set.connect())[0])).toBe('r1');
      expect(log.warn).toHaveBeenCalledTimes(1);
      expect(log.warn.mock.calls[0][0]).toMatchObject({ replica: 'r0:5432/app' });
      expect(JSON.stringify(log.warn.mock.calls[0][0])).not.toContain('secret');
      pools[0].up = true;
      jest.setSystemTime(5001);
      const names = [nameOf((await set.connect())[0]), nameOf((await set.connect())[0])].sort();
      expect(names).toEqual(['r0', 'r1']);
      expect(log.info).toHaveBeenCalledWith({ replica: 'r0:5432/app' }, 'read replica reachable again');
    } finally {
      jest.useRealTimers();
    }
  });

  it('throws when every replica is down, and then does not try them for a while', async () => {
    const { pools, set } = replicas(2);
    pools.forEach((p) => (p.up = false));
    expect(set.anyUp()).toBe(true);
    await expect(set.connect()).rejects.toThrow(/ECONNREFUSED/);
    expect(set.anyUp()).toBe(false);
    await expect(set.connect()).rejects.toThrow('every read replica is down');
  });

  it('closes a discarded connection instead of pooling it, and rests its replica', async () => {
    const { pools, set } = replicas(1);
    const [client, release] = await set.connect();
    const failure = new Error('terminating connection due to administrator command');
    set.discard(client, failure);
    release();
    expect(pools[0].released).toEqual([failure]);
    expect(set.anyUp()).toBe(false);
  });

  it('reports the replicas found down before it had a logger', () => {
    const pools = [fakePool('r0')];
    const set = new ReplicaPools({ slaves: pools } as unknown as ConstructorParameters<typeof ReplicaPools>[0], [
      'postgres://u@r0/app',
    ]);
    set.markDown(0, new Error('refused'));
    const log = { info: jest.fn(), warn: jest.fn() };
    set.setLog(log);
    expect(log.warn).toHaveBeenCalledWith(
      { replica: 'r0:5432/app' },
      'read replica unreachable at start: its reads go to the primary',
    );
  });

  it('describes a replica by host, port and database only', () => {
    expect(describeReplica('postgres://u:pw@db.internal:6432/ssm?sslmode=require')).toBe('db.internal:6432/ssm');
  });
});

import type { PGlite } from '@electric-sql/pglite';

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

// Frontend messages of the extended query protocol that leave a unit open until Sync:
// Parse, Bind, Describe, Execute, Close, Flush.
const OPENS_UNIT = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));
const SYNC = 'S'.charCodeAt(0);

/**
 * The query queue between pglite-socket's connections and the one PGlite: messages run one at
 * a time, and a connection keeps the database to itself while it is inside an extended-protocol
 * unit (from its first Parse/Bind/… to its Sync) or inside a transaction.
 *
 * pglite-socket's own queue keeps a connection exclusive only inside a transaction, so when a
 * client's unit reached the server in several chunks, another connection's Parse could run
 * between its Parse and its Bind, and the Bind then met the other client's statement.
 * It has the interface pglite-socket's handlers call (enqueue, clearQueueForHandler,
 * clearTransactionIfNeeded).
 */
export class ProtocolQueue {
  private queue: QueuedMessage[] = [];
  private processing = false;
  /** The connection whose unit is open, or that ran last inside a transaction. */
  private owner: number | null = null;
  private unitOpen = false;

  constructor(private readonly db: PGlite) {}

  /** Queues one frontend message of a connection; resolves with the bytes answered. */
  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.process();
    });
  }

  /** Messages waiting (pglite-socket logs it). */
  getQueueLength(): number {
    return this.queue.length;
  }

  /** A connection went away: drop its queued messages and release the database. */
  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error('Handler disconnected'));
      return false;
    });
    if (this.owner === handlerId && this.unitOpen) this.unitOpen = false;
  }

  /** A connection went away inside a transaction: roll it back so the others can go on. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner === handlerId) {
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
      this.owner = null;
      this.unitOpen = false;
    }
    void this.process();
  }

  private exclusiveOwner(): number | null {
    if (this.owner === null) return null;
    return this.unitOpen || this.db.isInTransaction() ? this.owner : null;
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = this.exclusiveOwner();
        const index = owner === null ? 0 : this.queue.findIndex((item) => item.handlerId === owner);
        // The owner's next message has not arrived yet: everyone else waits for it.
        if (index === -1) break;
        const [item] = this.queue.splice(index, 1);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          item.reject(error);
          continue;
        }
        const type = item.message[0];
        this.owner = item.handlerId;
        if (type === SYNC) this.unitOpen = false;
        else if (OPENS_UNIT.has(type)) this.unitOpen = true;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }
}

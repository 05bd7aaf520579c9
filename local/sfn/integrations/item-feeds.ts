/**
 * The open ItemReader feeds of Distributed Map runs, by Map thread. Feeds live in memory only:
 * after a restart a Map re-opens its object and skips the items it already handed out
 * (thread.mapRun.itemsRead).
 */
import { randomUUID } from 'node:crypto';
import type { Execution, Thread } from '../interpreter/execution';
import { ItemFeed, type ObjectSource, readerError, readItems } from './item-reader';
import type { Authorize } from './task-permissions';

export interface ItemFeedsHost {
  readonly s3: ObjectSource | undefined;
  /** IAM for s3:GetObject with the state machine's role (EngineOptions.authorize). */
  readonly authorize?: Authorize;
  /** The feed has items (or an error) now: the Map may launch more units. */
  ready(executionKey: number, threadId: string): void;
}

export class ItemFeeds {
  private readonly feeds = new Map<string, ItemFeed>();

  constructor(private readonly host: ItemFeedsHost) {}

  /** Feeds reading from S3 right now (work in progress, like a running task). */
  get reading(): number {
    let n = 0;
    for (const f of this.feeds.values()) if (f.busy) n++;
    return n;
  }

  feed(execution: Execution, thread: Thread): ItemFeed {
    let feed = this.feeds.get(thread.id);
    if (feed) return feed;
    const source = thread.mapRun?.source;
    const reader = execution.stateOf(thread).distributed?.reader;
    const s3 = this.host.s3;
    feed = new ItemFeed(
      async () => {
        if (!s3) throw readerError('the engine has no S3 (EngineOptions.s3) to read ItemReader objects from');
        if (!source || !reader) throw readerError('the Map has no ItemReader');
        const decision = this.host.authorize?.({
          roleArn: execution.machine.roleArn,
          executionArn: execution.record.arn,
          stateName: thread.state,
          action: 's3:GetObject',
          resource: `arn:aws:s3:::${source.bucket}/${source.key}`,
        });
        // As S3 refuses the read; the Map run then fails with States.ItemReaderFailed.
        if (decision && !decision.allowed)
          throw readerError(
            `s3://${source.bucket}/${source.key}: ${decision.message} (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: ${randomUUID()}; Proxy: null)`,
          );
        let body: AsyncIterable<Uint8Array>;
        try {
          body = await s3.getObject(source.bucket, source.key);
        } catch (e) {
          throw readerError(
            `s3://${source.bucket}/${source.key}: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
        return readItems(body, reader.config)[Symbol.asyncIterator]();
      },
      thread.mapRun?.itemsRead ?? 0,
      () => this.host.ready(execution.record.key, thread.id),
    );
    this.feeds.set(thread.id, feed);
    return feed;
  }

  close(threadId: string): void {
    this.feeds.get(threadId)?.close();
    this.feeds.delete(threadId);
  }

  closeAll(): void {
    for (const feed of this.feeds.values()) feed.close();
    this.feeds.clear();
  }
}

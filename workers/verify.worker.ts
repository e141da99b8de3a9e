/**
 * The verify worker: one job per message (hash a blob, or inflate and hash a layer, or one pass
 * over a compressed archive), replies with progress and results. See messages.ts.
 */
import type { VerifyReply, VerifyRequest } from './messages.ts';
import { handleRequest } from './verify-job.ts';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<VerifyRequest>) => void) | null;
  postMessage(reply: VerifyReply, transfer?: Transferable[]): void;
};

scope.onmessage = (event) => {
  void handleRequest(event.data, (reply, transfer) => scope.postMessage(reply, transfer ?? []));
};

/**
 * The extract worker: takes one file out of a layer that must be decoded from its start, with
 * progress and cancel. See extract-messages.ts.
 */
import type { ExtractMessage, ExtractReply } from './extract-messages.ts';
import { handleExtract } from './extract-job.ts';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ExtractMessage>) => void) | null;
  postMessage(reply: ExtractReply): void;
};

scope.onmessage = (event) => {
  void handleExtract(event.data, (reply) => scope.postMessage(reply));
};

// Bundled in place of `node:stream/web` (an esbuild alias in lib/constructs/handler-function.ts).
// @middy/core imports ReadableStream for streamed responses only; loading the web streams module
// eagerly costs about a tenth of a handler's cold start, so it is loaded on first use instead.
module.exports = {
  get ReadableStream() {
    return require('node:stream/web').ReadableStream;
  },
};

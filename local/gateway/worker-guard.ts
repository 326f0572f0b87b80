// Preloaded into every local Edge Function worker (`deno run|serve --preload`), before the
// function's own code: an error nobody caught (a promise left to reject, a throw in a timer)
// is logged and the worker keeps serving everyone else. Deno's default ends the process,
// which took every in-flight request of that function down with it. A request whose handler
// throws is still answered 500 by Deno.serve itself.
addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  console.error('[worker] unhandled rejection:', event.reason);
});
addEventListener('error', (event) => {
  event.preventDefault();
  console.error('[worker] uncaught exception:', event.error ?? event.message);
});

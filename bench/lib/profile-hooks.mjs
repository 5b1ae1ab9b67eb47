// Preloaded (node --import) into a server run under `--cpu-prof` by
// `npm run bench -- --profile`.
//
// Node writes the profile only on a normal exit, and Nest's shutdown hooks end
// the process by re-raising SIGTERM: closing the IPC channel is the bench's way
// to say "exit normally now". A "mark" message is answered with the monotonic
// clock in µs — the clock of the profile's timestamps — so the summary can keep
// only the samples taken under load, not those of start-up.
process.on('disconnect', () => process.exit(0));
process.on('message', (message) => {
  if (message === 'mark') process.send({ mark: Number(process.hrtime.bigint() / 1000n) });
});

// The entry of the node start-up snapshot made when the image is built (Dockerfile:
// `node --snapshot-blob /opt/runner/node.blob --build-snapshot runner/snapshot.js`).
//
// Debian's Node 18 is built without Node's own start-up snapshot (node_use_node_snapshot: false),
// so every node process of a run (Jest, and the candidate's harness in a split run) bootstraps
// Node's core from source: ~50 ms of CPU each, which the host's Node (with its built-in snapshot)
// does not pay. A user-land snapshot of a freshly bootstrapped Node gives that back. It holds
// nothing but Node's own state: no module of ours, of Jest or of any submission is loaded here,
// and the blob is read-only in the image. Each process starts from it with its own argv,
// environment, pid and random seed, then runs its script as usual.
'use strict';
const v8 = require('v8');

// Node 18's user-land snapshot leaves `console.Console` (and require('console').Console)
// undefined after deserializing; Jest's BufferedConsole extends it, and a test may use it.
// The class is kept from the build and put back on start.
const { Console } = require('console');
v8.startupSnapshot.addDeserializeCallback(() => {
  const console = require('console');
  if (typeof console.Console !== 'function') console.Console = Console;
  if (typeof globalThis.console.Console !== 'function') globalThis.console.Console = Console;
});

// An SMTP outage on demand, for scripts/cluster-check.sh: a TCP relay in front of the real mail
// server (MailDev) that the nodes deliver through. SIGUSR1 takes the mail server away (open
// connections are cut, new ones refused: what a node sees when its SMTP server goes down);
// SIGUSR2 brings it back. MailDev itself keeps running, so what it received before the outage is
// still there to be counted afterwards.
//
// usage: node smtp-outage.mjs <listen port> <mail server port>
import { createServer, connect } from "node:net";

const [listenPort, targetPort] = process.argv.slice(2).map(Number);
if (!listenPort || !targetPort) {
  console.error("usage: node scripts/node-tools/smtp-outage.mjs <listen port> <mail server port>");
  process.exit(2);
}

const open = new Set();
const relay = createServer((client) => {
  const server = connect(targetPort, "127.0.0.1");
  open.add(client);
  client.pipe(server).pipe(client);
  const close = () => {
    open.delete(client);
    client.destroy();
    server.destroy();
  };
  client.on("error", close).on("close", close);
  server.on("error", close).on("close", close);
});

function listen() {
  relay.listen(listenPort, "127.0.0.1", () => console.log(`[smtp] relaying 127.0.0.1:${listenPort} to port ${targetPort}`));
}

process.on("SIGUSR1", () => {
  relay.close();
  for (const client of open) client.destroy();
  console.log("[smtp] down");
});
process.on("SIGUSR2", () => {
  if (!relay.listening) listen();
  console.log("[smtp] up");
});
process.on("SIGTERM", () => process.exit(0));
// While the relay is down nothing else keeps Node's event loop alive.
setInterval(() => {}, 60_000);
listen();

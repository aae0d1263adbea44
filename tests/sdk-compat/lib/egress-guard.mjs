// Preloaded into every Node process of the suite (NODE_OPTIONS=--import): any TCP connection to an address that is
// not on this machine is refused before it is made and written to MEM0_TEST_EGRESS_LOG, which run.sh checks.
// This is the hard guarantee behind "the SDK and CLI never call the real platform or a telemetry endpoint".
import fs from "node:fs";
import net from "node:net";

const marker = Symbol.for("mem0.sdkcompat.egressGuard");

function isLocal(host) {
  if (host === undefined || host === null || host === "" || host === "localhost") return true;
  const bare = String(host).replace(/^\[|\]$/g, "");
  if (bare === "::1" || bare === "0:0:0:0:0:0:0:1") return true;
  if (/^127\.\d+\.\d+\.\d+$/.test(bare)) return true;
  return /^::ffff:127\.\d+\.\d+\.\d+$/i.test(bare);
}

function targetOf(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first !== null && typeof first === "object") {
    return first.path ? null : { host: first.host, port: first.port };
  }
  if (typeof first === "string" && Number.isNaN(Number(first))) return null; // a unix socket path
  return { host: typeof args[1] === "string" ? args[1] : undefined, port: first };
}

if (!globalThis[marker]) {
  globalThis[marker] = true;
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const target = targetOf(args);
    if (target && !isLocal(target.host)) {
      const line = `${new Date().toISOString()} pid ${process.pid} refused ${target.host}:${target.port} (${process.argv.slice(1).join(" ")})\n`;
      if (process.env.MEM0_TEST_EGRESS_LOG) fs.appendFileSync(process.env.MEM0_TEST_EGRESS_LOG, line);
      process.nextTick(() => this.destroy(new Error(`sdk-compat egress guard: refused connection to ${target.host}`)));
      return this;
    }
    return connect.apply(this, args);
  };
}

// Loaded (node --import) into MCP servers the tests start that have no host option of their own
// (server-everything listens on every interface): every TCP listen goes to 127.0.0.1 instead.
import net from "node:net";

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const [first, ...rest] = args;
  if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    return listen.call(this, { port: Number(first), host: "127.0.0.1" }, ...rest.filter((a) => typeof a === "function"));
  }
  if (first && typeof first === "object" && !("fd" in first) && !("path" in first) && !("_handle" in first)) {
    return listen.call(this, { ...first, host: "127.0.0.1" }, ...rest);
  }
  return listen.apply(this, args);
};

// Preloaded (node -r) into MCP servers the tests start that have no host option of their own
// (server-everything listens on every interface): every listen goes to 127.0.0.1 instead.
const net = require("node:net");
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === "number" || typeof args[0] === "string") {
    const port = args[0];
    const rest = args.slice(1).filter((a) => typeof a === "function" || (typeof a === "number" && false));
    return listen.call(this, { port: Number(port), host: "127.0.0.1" }, ...rest);
  }
  if (args[0] && typeof args[0] === "object" && !("fd" in args[0]) && !("path" in args[0])) {
    return listen.call(this, { ...args[0], host: "127.0.0.1" }, ...args.slice(1));
  }
  return listen.apply(this, args);
};

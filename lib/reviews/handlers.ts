// Every review subject type, registered by importing its module. Whatever decides reviews
// (the decision route, tests) imports this file, so each handler is known in that bundle.
import "@/lib/registry/data";
import "@/lib/registry/upstreams";
import "@/lib/cimd/review";
import "@/lib/registry/tools-review";
import "@/lib/xaa/review";

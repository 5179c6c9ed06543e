// `npm run build`: the production build plus the stamp that `npm start` checks, so a start right
// after a build does not build again.
import { buildApp } from "@/lib/server/build-stamp";

buildApp(process.cwd());

// `npm start`: Probot's own runner (environment, setup flow from app.yml, HTTP server) with the App's
// Octokit, whose throttling retries secondary rate limits instead of giving up.
import { run } from "probot";
import { RceGuardOctokit } from "../github/octokit.js";
import app from "./index.js";

try {
  // Probot reads .env too (inside run); reading it here lets the check below see the same variables.
  process.loadEnvFile();
} catch {
  // No .env file: the environment is all there is.
}
// Probot falls back to the secret "development", which would accept deliveries anyone can sign.
const registered = process.env.APP_ID && (process.env.PRIVATE_KEY || process.env.PRIVATE_KEY_PATH);
if (registered && !process.env.WEBHOOK_SECRET) {
  console.error("WEBHOOK_SECRET is not set: refusing to start with Probot's development secret.");
  process.exit(1);
}

await run(app, { Octokit: RceGuardOctokit });

// Builds the Bolt app: receiver for the configured mode (HTTP or Socket Mode), listeners, error handler.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import {
  App,
  type CustomRoute,
  HTTPReceiver,
  LogLevel,
  type Logger as SlackLogger,
  SocketModeReceiver,
} from "@slack/bolt";
import type { SlackConfig } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { ServiceDeps } from "../services/deps.ts";
import type { BotIdentity } from "./bot-identity.ts";
import { registerListeners } from "./listeners/index.ts";

export type SlackAppOptions = {
  slack: SlackConfig;
  /** From verifyBotToken at start: Bolt authorizes every request with it, no auth.test per request. */
  identity: BotIdentity;
  deps: ServiceDeps;
  logger: Logger;
  /** Answers /healthz: true when the database responds. */
  isHealthy: () => Promise<boolean>;
};

export type SlackApp = {
  app: App;
  /** Resolves with the HTTP port bound (HTTP mode, or Socket Mode's health route). */
  start(): Promise<number>;
  stop(): Promise<void>;
};

/** Bolt's logger interface backed by our pino logger (Bolt never sees tokens in what it logs). */
function boltLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: "bolt" });
  let level = LogLevel.INFO;
  return {
    debug: (...msg) => child.debug(msg.map(String).join(" ")),
    info: (...msg) => child.info(msg.map(String).join(" ")),
    warn: (...msg) => child.warn(msg.map(String).join(" ")),
    error: (...msg) => child.error(msg.map(String).join(" ")),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

function healthRoute(isHealthy: () => Promise<boolean>): CustomRoute {
  return {
    path: "/healthz",
    method: ["GET"],
    handler: async (_req: IncomingMessage, res: ServerResponse) => {
      const healthy = await isHealthy().catch(() => false);
      res.writeHead(healthy ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: healthy ? "ok" : "database unavailable" }));
    },
  };
}

export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { slack, logger } = options;
  const clientOptions = slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {};
  const log = boltLogger(logger);
  const customRoutes = [healthRoute(options.isHealthy)];
  const receiver =
    slack.mode === "socket"
      ? new SocketModeReceiver({
          appToken: slack.appToken ?? "",
          logger: log,
          customRoutes,
          // The socket-mode client makes its own Web API call (apps.connections.open).
          installerOptions: { clientOptions, port: slack.port },
        })
      : new HTTPReceiver({
          signingSecret: slack.signingSecret ?? "",
          endpoints: "/slack/events",
          port: slack.port,
          logger: log,
          customRoutes,
        });
  const { identity } = options;
  const app = new App({ authorize: async () => identity, receiver, logger: log, clientOptions });
  registerListeners(app, options.deps);
  app.error(async (error) => {
    // One handler for what listeners did not handle themselves; their users were already told.
    logger.error(
      { err: error.message, code: (error as { code?: string }).code },
      "unhandled Slack listener error",
    );
  });
  return {
    app,
    async start() {
      const started: unknown = await app.start(slack.port);
      const server =
        slack.mode === "http"
          ? (started as Server)
          : (receiver as unknown as { httpServer?: Server }).httpServer;
      const address = server?.address();
      const port = typeof address === "object" && address ? address.port : slack.port;
      logger.info({ mode: slack.mode, port }, "Slack app started");
      return port;
    },
    async stop() {
      await app.stop();
    },
  };
}

# syntax=docker/dockerfile:1
# RCE Guard GitHub App. Build: docker build -t rce-guard .
# Run: docker run -e APP_ID=... -e PRIVATE_KEY="$(cat key.pem)" -e WEBHOOK_SECRET=... -p 3000:3000 rce-guard
# The build downloads nothing but npm packages (registry) and Debian packages; test/docker checks this file
# and runs its native build with node-gyp's cache empty and nodejs.org out of reach.

# tree-sitter, tree-sitter-python and native/ (the tree export) compile C at install: node-gyp needs these.
FROM node:20-bookworm-slim AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# node-gyp compiles against the headers of the Node that runs it and, unless told where they are, downloads
# them from nodejs.org. The official image ships them with Node itself, under /usr/local/include/node.
ENV npm_config_nodedir=/usr/local
RUN test -f /usr/local/include/node/node_api.h && test -f /usr/local/include/node/common.gypi

FROM toolchain AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY native ./native
# The root `prepare` script builds only in a full source checkout: here it skips, the build runs below.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json app.yml ./
COPY src ./src
COPY rules ./rules
COPY docs ./docs
# What the package ships (package.json `files`: the build, models, rule docs, schemas, the addon's sources),
# unpacked into /app/package: no rule examples (deliberately vulnerable code), tests or TypeScript sources.
RUN npm run build \
 && npm pack --ignore-scripts --pack-destination /tmp \
 && mkdir /app/package \
 && tar -xzf /tmp/rce-guard-*.tgz -C /app/package --strip-components=1

FROM toolchain AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY native ./native
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json \
    RCE_GUARD_DRAIN_MS=5000
WORKDIR /app
# Owned by root, read-only for the user the App runs as: a compromised process cannot rewrite its own code.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/package ./
# node_modules/@rce-guard/tree-export links to ./native; its compiled addon comes from the deps stage.
COPY --from=deps /app/native/build/Release/tree_export.node ./native/build/Release/tree_export.node
USER node
EXPOSE 3000
# SIGTERM (docker stop) lets running jobs finish for RCE_GUARD_DRAIN_MS, then completes their check runs as
# stopped and exits (src/app/drain.ts); keep it below the stop timeout (docker stop -t, default 10 s).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/app/main.js"]

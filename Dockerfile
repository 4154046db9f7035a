# syntax=docker/dockerfile:1
# RCE Guard GitHub App. Build: docker build -t rce-guard .
# Run: docker run -e APP_ID=... -e PRIVATE_KEY="$(cat key.pem)" -e WEBHOOK_SECRET=... -p 3000:3000 rce-guard

# tree-sitter, tree-sitter-python and native/ (the tree export) compile C at install: node-gyp needs these.
FROM node:20-bookworm-slim AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

FROM toolchain AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY native ./native
RUN npm ci
COPY tsconfig.json ./
COPY src ./src
COPY rules ./rules
# The build type-checks only what the runtime needs (tests and benchmarks are not copied in).
RUN npx tsc -p tsconfig.json --outDir dist

FROM toolchain AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY native ./native
RUN npm ci --omit=dev && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
# node_modules/@rce-guard/tree-export links here; the addon was built in the deps stage.
COPY --from=deps --chown=node:node /app/native ./native
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json app.yml ./
COPY --chown=node:node rules ./rules
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/app/main.js"]

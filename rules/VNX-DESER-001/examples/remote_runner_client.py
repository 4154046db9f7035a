# A client for a model-runner server, written the way serving frameworks write theirs: an aiohttp session
# built lazily behind a property, responses read with `await resp.read()` and unpickled. Whatever sits at
# the other end of the connection (or in the middle of it) chooses the bytes: network input, critical.
import asyncio
import pickle
import typing as t

import aiohttp
import httpx
from aiohttp import web
from websockets.asyncio.client import connect

PAYLOAD_META_HEADER = "Bento-Payload-Meta"


class RemoteRunnerClient:
    def __init__(self, addr: str):
        self._addr = addr
        self._client_cache: t.Optional[aiohttp.ClientSession] = None
        self._loop: t.Optional[asyncio.AbstractEventLoop] = None

    @property
    def _client(self) -> aiohttp.ClientSession:
        if self._client_cache is None or self._client_cache.closed:
            self._client_cache = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=300),
                auto_decompress=False,
            )
        return self._client_cache

    async def async_run_method(self, path: str, data: bytes) -> t.Any:
        async with self._client.post(f"{self._addr}/{path}", data=data) as resp:
            body = await resp.read()
        if resp.headers.get("Content-Type") == "application/vnd.bentoml.multiple_outputs":
            # ruleid: VNX-DESER-001 (critical)
            payloads = pickle.loads(body)
            return tuple(payloads)
        return body

    async def health(self) -> bool:
        async with aiohttp.request("GET", f"{self._addr}/readyz") as resp:
            state = await resp.read()
        # ruleid: VNX-DESER-001 (critical)
        return pickle.loads(state)["ready"]

    async def stream_results(self, job_id: str):
        async with connect(f"{self._addr.replace('http', 'ws')}/jobs/{job_id}") as ws:
            frame = await ws.recv()
            # ruleid: VNX-DESER-001 (critical)
            return pickle.loads(frame)

    async def fetch_with_httpx(self, path: str):
        async with httpx.AsyncClient(base_url=self._addr) as client:
            response = await client.get(path)
        # ruleid: VNX-DESER-001 (critical)
        return pickle.loads(response.content)

    async def fetch_as_json(self, path: str):
        async with self._client.get(f"{self._addr}/{path}") as resp:
            # A JSON body builds plain data only.
            return await resp.json()


async def receive_batch(request: web.Request) -> web.Response:
    body = await request.read()
    # ruleid: VNX-DESER-001 (critical)
    batch = pickle.loads(body)
    return web.json_response({"size": len(batch)})

"""An OpenAI-compatible HTTP server on 127.0.0.1 for tests: chat completions, files and
batches, with scripted faults (429 with Retry-After, 500, slow answers, bad JSON, schema
violations, servers without JSON-Schema output). It counts every request it answers."""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Responder = Callable[[dict], dict]  # chat request body -> answer object (becomes the JSON content)


class FakeOpenAI:
    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        self.script: deque[tuple] = deque()  # faults, consumed one per chat request
        self.chat_requests: list[dict] = []
        self.reject_json_schema = False  # answer 400 to response_format json_schema, like some servers
        self.batch_polls_before_done = 1
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict] = {}
        self.batch_requests = 0
        self.latency = 0.0  # seconds every chat answer takes (benchmarks)
        self.probes = 0  # endpoint checks answered
        self.probe_status = 0  # answer the endpoint check with this HTTP status (0: answer it)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    @property
    def chat_calls(self) -> int:
        return len(self.chat_requests)

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- protocol ---------------------------------------------------------------

    def chat(self, body: dict) -> tuple[int, dict, dict]:
        """(status, headers, JSON body) for one chat request, after any scripted fault. The endpoint
        check's probe (`affil llm check`, run before every `affil run --llm`) is answered apart:
        it is not counted and consumes no scripted fault."""
        if _is_probe(body):
            self.probes += 1
            if self.reject_json_schema and body.get("response_format", {}).get("type") == "json_schema":
                return 400, {}, _error("response_format json_schema is not supported by this server")
            if self.probe_status:
                return self.probe_status, {}, _error(f"scripted {self.probe_status}")
            return 200, {}, completion(body, json.dumps({"answer": "yes"}))
        with self._lock:
            self.chat_requests.append(body)
            fault = self.script.popleft() if self.script else None
        if self.latency:
            time.sleep(self.latency)
        if self.reject_json_schema and body.get("response_format", {}).get("type") == "json_schema":
            return 400, {}, _error("response_format json_schema is not supported by this server")
        if fault is not None:
            kind = fault[0]
            if kind == "status":
                return fault[1], fault[2] if len(fault) > 2 else {}, _error(f"scripted {fault[1]}")
            if kind == "sleep":
                time.sleep(fault[1])
            if kind == "content":
                return 200, {}, completion(body, fault[1])
            if kind == "length":
                return 200, {}, completion(body, '{"authors": [', finish_reason="length")
        return 200, {}, completion(body, json.dumps(self.responder(body)))

    def run_batch(self, batch: dict) -> None:
        lines = self.files[batch["input_file_id"]].decode().splitlines()
        out = []
        for line in lines:
            request = json.loads(line)
            self.batch_requests += 1
            answer = json.dumps(self.responder(request["body"]))
            response = {"status_code": 200, "request_id": "r", "body": completion(request["body"], answer)}
            out.append(json.dumps({"id": f"line-{len(out)}", "custom_id": request["custom_id"], "response": response}))
        output_id = f"file-out-{batch['id']}"
        self.files[output_id] = "\n".join(out).encode()
        batch.update(status="completed", output_file_id=output_id)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:
                pass

            def _send(self, status: int, body: dict | bytes, headers: dict | None = None) -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # client gave up (timeout test)
                    self.wfile.write(data)

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path.endswith("/chat/completions"):
                    status, headers, body = fake.chat(json.loads(raw))
                    self._send(status, body, headers)
                elif self.path.endswith("/files"):
                    file_id = f"file-{len(fake.files)}"
                    fake.files[file_id] = _multipart_file(raw)
                    self._send(200, {"id": file_id, "object": "file", "bytes": len(raw), "created_at": 0,
                                     "filename": "batch.jsonl", "purpose": "batch", "status": "processed"})  # fmt: skip
                elif self.path.endswith("/batches"):
                    request = json.loads(raw)
                    batch_id = f"batch-{len(fake.batches)}"
                    fake.batches[batch_id] = {
                        "id": batch_id, "object": "batch", "endpoint": request["endpoint"], "polls": 0,
                        "input_file_id": request["input_file_id"], "completion_window": "24h",
                        "status": "in_progress", "created_at": 0, "output_file_id": None,
                    }  # fmt: skip
                    self._send(200, _public(fake.batches[batch_id]))
                else:
                    self._send(404, _error(f"no route {self.path}"))

            def do_GET(self) -> None:
                found = re.search(r"/batches/([\w-]+)$", self.path)
                if found and found.group(1) in fake.batches:
                    batch = fake.batches[found.group(1)]
                    batch["polls"] += 1
                    if batch["status"] == "in_progress" and batch["polls"] > fake.batch_polls_before_done:
                        fake.run_batch(batch)
                    self._send(200, _public(batch))
                    return
                found = re.search(r"/files/([\w-]+)/content$", self.path)
                if found and found.group(1) in fake.files:
                    self._send(200, fake.files[found.group(1)])
                    return
                self._send(404, _error(f"no route {self.path}"))

        return Handler


def completion(request: dict, content: str, finish_reason: str = "stop") -> dict:
    prompt_tokens = sum(len(m.get("content") or "") for m in request.get("messages", [])) // 4
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": request.get("model", "fake"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": len(content) // 4,
            "total_tokens": prompt_tokens + len(content) // 4,
        },
    }


def _error(message: str) -> dict:
    return {"error": {"message": message, "type": "invalid_request_error", "code": None}}


def _public(batch: dict) -> dict:
    return {k: v for k, v in batch.items() if k != "polls"}


def _multipart_file(raw: bytes) -> bytes:
    """The file part of a multipart/form-data upload."""
    for part in raw.split(b"\r\n--"):
        if b'name="file"' in part:
            return part.split(b"\r\n\r\n", 1)[1].rstrip(b"\r\n")
    return b""


def _is_probe(body: dict) -> bool:
    return (body.get("response_format") or {}).get("json_schema", {}).get("name") == "affil_check" or (
        "Is Paris in France?" in json.dumps(body.get("messages", []))
    )

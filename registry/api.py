"""The publishing API: ``POST /api/publish`` and ``DELETE /api/resources/{ctid}``.

Providers authenticate with ``Authorization: Bearer <key>`` (keys come from
``registry providers add``). A request is all or nothing: if any document in
it is refused, none is published.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .ingest.journal import Provider
from .ingest.load import Outcome
from .ingest.parse import ParseError

router = APIRouter(prefix="/api", tags=["publishing"])
bearer = HTTPBearer(auto_error=False)

# The HTTP status for a request, from the outcomes of its documents (worst first).
_STATUS = [("error", 503), ("forbidden", 403), ("rejected", 422), ("created", 201), ("replaced", 200),
           ("unchanged", 200)]


def provider(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Provider:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, detail="Send your provider key as 'Authorization: Bearer <key>'.",
                            headers={"WWW-Authenticate": "Bearer"})
    found = request.app.state.registry.journal.provider_for_key(credentials.credentials)
    if found is None:
        raise HTTPException(401, detail="Unknown provider key.", headers={"WWW-Authenticate": "Bearer"})
    return found


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, detail=f"The document is {int(declared):,} bytes; the limit is {limit:,} bytes.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, detail=f"The document is larger than the {limit:,}-byte limit.")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "/publish",
    summary="Publish CTDL documents (JSON-LD or Turtle)",
    responses={201: {"description": "Created"}, 200: {"description": "Replaced or unchanged"},
               401: {"description": "No or unknown key"}, 403: {"description": "Not your organization's"},
               413: {"description": "Too large"}, 415: {"description": "Unsupported media type"},
               422: {"description": "Unreadable or invalid; the body explains"}},
)
async def publish(request: Request, who: Provider = Depends(provider)) -> JSONResponse:
    registry = request.app.state.registry
    cfg = registry.config
    data = await _read_body(request, cfg.max_document_bytes)
    try:
        docs = registry.loader.read(data, request.headers.get("content-type"),
                                    max_bytes=cfg.max_document_bytes, max_depth=cfg.max_document_depth)
    except ParseError as exc:
        return JSONResponse({"status": "unreadable", "error": exc.code, "message": str(exc)},
                            status_code=exc.status)
    outcomes = await run_in_threadpool(registry.loader.publish, docs, provider=who, atomic=True)
    return JSONResponse(_body(outcomes), status_code=_status(outcomes))


@router.delete("/resources/{ctid}", summary="Delete a resource (a tombstone is journalled)")
async def delete(ctid: str, request: Request, who: Provider = Depends(provider)) -> JSONResponse:
    outcome = await run_in_threadpool(request.app.state.registry.loader.delete, ctid, provider=who)
    status = {"deleted": 200, "not_found": 404, "forbidden": 403}.get(outcome.status, 503)
    return JSONResponse(outcome.to_json(), status_code=status)


def _status(outcomes: list[Outcome]) -> int:
    statuses = {o.status for o in outcomes}
    for name, code in _STATUS:
        if name in statuses:
            return code
    return 200


def _body(outcomes: list[Outcome]) -> dict:
    status = {o.status for o in outcomes}
    overall = next((name for name, _ in _STATUS if name in status), "unchanged")
    body = {"status": overall, "results": [o.to_json() for o in outcomes]}
    for o, item in zip(outcomes, body["results"]):
        if o.accepted and o.ctid:
            item["url"] = f"/resources/{o.ctid}"
    return body

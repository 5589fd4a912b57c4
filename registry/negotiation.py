"""HTTP content negotiation (``Accept`` with q-values and wildcards)."""

from __future__ import annotations


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``text/html;q=0.9, */*;q=0.1`` -> [("text/html", 0.9), ("*/*", 0.1)], best first."""
    if not header:
        return [("*/*", 1.0)]
    out = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        out.append((media, q, -i))
    out.sort(key=lambda x: (x[1], _specificity(x[0]), x[2]), reverse=True)
    return [(m, q) for m, q, _ in out]


def _specificity(media: str) -> int:
    if media == "*/*":
        return 0
    if media.endswith("/*"):
        return 1
    return 2


def negotiate(header: str | None, offers: list[str]) -> str | None:
    """The offer the client prefers most (``offers`` in server preference order), or None."""
    best, best_q = None, 0.0
    for offer in offers:
        q = _quality(header, offer)
        if q > best_q:
            best, best_q = offer, q
    return best


def _quality(header: str | None, offer: str) -> float:
    kind = offer.split("/")[0]
    best_spec, quality = -1, 0.0
    for media, q in parse_accept(header):
        if media == offer:
            spec = 2
        elif media == kind + "/*":
            spec = 1
        elif media == "*/*":
            spec = 0
        else:
            continue
        if spec > best_spec:
            best_spec, quality = spec, q
    return quality

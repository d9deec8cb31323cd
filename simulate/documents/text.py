"""Plain text: one cell per line, or tab rows, with labels drifting onto other lines."""

from __future__ import annotations

import random

from .grid import expand, is_num, outline
from .records import Record


def render_text(record: Record, rng: random.Random, layout: str | None = None) -> bytes:
    """Plain text: ``cells`` (one per line, rows between blank lines, as seeds 000/002/004),
    ``stream`` (one cell per line, no row breaks, as text copied out of a PDF) or
    ``tabs`` (tab-separated rows, as seeds 001/003), with drifting labels."""
    layout = layout or rng.choice(["cells", "cells", "stream", "tabs", "tabs"])
    out: list[str] = []
    drift = rng.random() < 0.5
    for kind, part in outline(record, rng):
        if kind == "title":
            out.extend(part)
        elif kind in ("p", "h"):
            out.append(part)
            if rng.random() < 0.5:
                out.append("")
        else:
            out.append("")
            for line in expand(part):
                if layout == "cells":
                    cells = [c.text if origin else "" for c, origin, row_origin in line if origin or not row_origin]
                    labels = [x for x in cells if x and not is_num(x)]
                    if drift and labels and len(cells) > len(labels) + 1 and rng.random() < 0.15:
                        # the label drifts out of its row, above its values (seed 002)
                        first_value = max(i for i, x in enumerate(cells) if x in labels) + 1
                        out.extend(["\t" + x for x in cells[: first_value - 1]] + [cells[first_value - 1], ""])
                        out.extend("\t" + x for x in cells[first_value:])
                    else:
                        out.extend("\t" + x for x in cells)
                    out.append("")
                elif layout == "stream":
                    out.extend(c.text for c, origin, _ in line if origin)
                else:
                    cells = [c.text if origin else "" for c, origin, _ in line]
                    if (
                        drift
                        and rng.random() < 0.1
                        and cells
                        and not cells[0]
                        and len(cells) > 2
                        and cells[1]
                        and not is_num(cells[1])
                    ):
                        cells = cells[1:] + [""]  # the label drifts one column left (seed 001)
                    out.append("\t".join(cells) + rng.choice(["", "\t"]))
            out.append("")
    encoding = rng.choice(["utf-8", "utf-8", "gb18030"])
    return "\n".join(out).encode(encoding)

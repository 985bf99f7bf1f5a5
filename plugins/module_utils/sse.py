# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading a server-sent event stream (`stream: true` runs) to its end."""

from __future__ import annotations

import json


def events(lines):
    """Yield (event name, decoded data) for each event of a text/event-stream, until `data: [DONE]`."""
    name, data = None, []
    for raw in lines:
        line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        line = line.rstrip("\r")
        if not line:
            if data:
                payload = "\n".join(data)
                if payload == "[DONE]":
                    return
                yield name, json.loads(payload)
            name, data = None, []
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip(" "))
    if data and "\n".join(data) != "[DONE]":
        yield name, json.loads("\n".join(data))

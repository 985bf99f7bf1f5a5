# -*- coding: utf-8 -*-
# Copyright (c) openai.beta contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Errors raised by the client, and how they become a module failure."""

from __future__ import annotations


class OpenAIError(Exception):
    """Anything that stops a request from succeeding, with everything the user needs to act on it."""

    def __init__(self, message, method=None, path=None, status=None, error_type=None,
                 code=None, param=None, request_id=None, note=None):
        super().__init__(message)
        self.message = message
        self.method = method
        self.path = path
        self.status = status
        self.error_type = error_type
        self.code = code
        self.param = param
        self.request_id = request_id
        self.note = note
        self.sent = True

    @classmethod
    def from_response(cls, method, path, response, note=None):
        """Build from an HTTP error response in OpenAI's `{"error": {...}}` shape (or anything else)."""
        try:
            body = response.json()
        except ValueError:
            body = None
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            error = {"message": (response.text or response.reason or "").strip()[:500] or "no error body"}
        return cls(
            error.get("message") or "no error message",
            method=method,
            path=path,
            status=response.status_code,
            error_type=error.get("type"),
            code=error.get("code"),
            param=error.get("param"),
            request_id=response.headers.get("x-request-id"),
            note=note,
        )

    @property
    def details(self):
        return {
            "status": self.status,
            "type": self.error_type,
            "code": self.code,
            "param": self.param,
            "request_id": self.request_id,
            "method": self.method,
            "path": self.path,
        }

    def __str__(self):
        where = "%s %s" % (self.method, self.path) if self.method else "request"
        status = " failed with HTTP %s" % self.status if self.status else " failed"
        extras = ["%s=%s" % (key, value) for key, value in (
            ("type", self.error_type), ("code", self.code), ("param", self.param),
            ("request_id", self.request_id)) if value]
        text = "%s%s: %s" % (where, status, self.message)
        if extras:
            text += " (%s)" % ", ".join(extras)
        if self.note:
            text += ". " + self.note
        return text


def redact(text, secrets):
    """Replace every secret (and nothing shorter than 4 characters) with a fixed marker."""
    if not isinstance(text, str):
        return text
    for secret in secrets:
        if secret and len(secret) >= 4 and secret in text:
            text = text.replace(secret, "********")
    return text


def fail_from_error(module, error, secrets=()):
    """fail_json with the API's message, type, code, param, HTTP status and request id."""
    details = {key: redact(value, secrets) for key, value in error.details.items()}
    module.fail_json(msg=redact(str(error), secrets), error=details)

"""OpenAI-style errors: ``{"error": {"message", "type", "param", "code"}}`` with an HTTP status.

Handlers raise :class:`APIError`; the server turns it into a JSON response. The helpers below
produce the messages the real API uses for the common cases, so clients that match on
``code``/``param`` behave the same against the emulator and against api.openai.com.
"""


class APIError(Exception):
    """An error response. ``headers`` are extra response headers (e.g. retry-after)."""

    def __init__(self, status, message, type_="invalid_request_error", param=None, code=None, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type_
        self.param = param
        self.code = code
        self.headers = dict(headers or {})

    def body(self):
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}


def invalid(message, param=None, code=None):
    """400 invalid_request_error."""
    return APIError(400, message, "invalid_request_error", param, code)


def missing(param):
    return invalid("Missing required parameter: '%s'." % param, param, "missing_required_parameter")


def unknown_parameter(param):
    return invalid("Unknown parameter: '%s'." % param, param, "unknown_parameter")


_TYPE_NAMES = {
    bool: "a boolean", int: "an integer", float: "a decimal", str: "a string",
    list: "an array", dict: "an object", type(None): "null",
}


def type_name(value):
    return _TYPE_NAMES.get(type(value), "a value")


def invalid_type(param, expected, value):
    return invalid(
        "Invalid type for '%s': expected %s, but got %s instead." % (param, expected, type_name(value)),
        param, "invalid_type",
    )


def invalid_value(param, value, allowed):
    allowed = list(allowed)
    if len(allowed) > 1:
        supported = ", ".join("'%s'" % a for a in allowed[:-1]) + ", and '%s'" % allowed[-1]
    else:
        supported = "'%s'" % allowed[0]
    return invalid(
        "Invalid value: '%s'. Supported values are: %s." % (value, supported), param, "invalid_value"
    )


_ARTICLE = {"string": "a string", "array": "an array"}


def _too_long(kind, param, maximum, length):
    return invalid("Invalid '%s': %s too long. Expected %s with maximum length %d, but got %s with length %d instead."
                   % (param, kind, _ARTICLE[kind], maximum, _ARTICLE[kind], length), param, "%s_above_max_length" % kind)


def _too_short(kind, param, minimum, length):
    if length == 0:
        return invalid("Invalid '%s': empty %s. Expected %s with minimum length %d, but got an empty %s instead."
                       % (param, kind, _ARTICLE[kind], minimum, kind), param, "empty_" + kind)
    return invalid("Invalid '%s': %s too short. Expected %s with minimum length %d, but got %s with length %d instead."
                   % (param, kind, _ARTICLE[kind], minimum, _ARTICLE[kind], length), param, "%s_below_min_length" % kind)


def string_too_long(param, maximum, length):
    return _too_long("string", param, maximum, length)


def string_too_short(param, minimum, length):
    return _too_short("string", param, minimum, length)


def array_too_long(param, maximum, length):
    return _too_long("array", param, maximum, length)


def array_too_short(param, minimum, length):
    return _too_short("array", param, minimum, length)


def below_minimum(param, minimum, value, kind="integer"):
    """``kind``: ``integer`` or ``decimal`` (the real API's word for a number)."""
    return invalid("Invalid '%s': %s below minimum value. Expected a value >= %s, but got %s instead."
                   % (param, kind, minimum, value), param, "%s_below_min_value" % kind)


def above_maximum(param, maximum, value, kind="integer"):
    return invalid("Invalid '%s': %s above maximum value. Expected a value <= %s, but got %s instead."
                   % (param, kind, maximum, value), param, "%s_above_max_value" % kind)


def too_many_properties(param, maximum, count):
    return invalid("Invalid '%s': too many properties. Expected an object with at most %d properties, but got an "
                   "object with %d properties instead." % (param, maximum, count), param,
                   "object_above_max_properties")


def pattern_mismatch(param, pattern):
    return invalid("Invalid '%s': string does not match pattern. Expected a string that matches the pattern '%s'."
                   % (param, pattern), param, "invalid_value")


def not_found(kind, object_id, param=None):
    """404 like the real API: "No assistant found with id 'asst_x'."."""
    return APIError(404, "No %s found with id '%s'." % (kind, object_id), "invalid_request_error", param, None)


def invalid_url(method, path):
    return APIError(404, "Invalid URL (%s %s)" % (method, path), "invalid_request_error")


def invalid_method(method, path, allowed=()):
    headers = {"allow": ", ".join(sorted(allowed))} if allowed else {}
    return APIError(405, "Invalid method for URL (%s %s)" % (method, path), "invalid_request_error", headers=headers)


def bad_json():
    return invalid(
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your "
        "HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. "
        "If you have trouble figuring out how to fix this, please contact us through our help center at "
        "help.openai.com.)"
    )


def auth_missing():
    # The real API uses code null here; the emulator reports invalid_api_key for both auth failures.
    return APIError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using "
        "Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) "
        "if you're accessing the API from your browser and are prompted for a username and password. You can "
        "obtain an API key from https://platform.openai.com/account/api-keys.",
        "invalid_request_error", None, "invalid_api_key",
    )


def auth_wrong():
    # The real API echoes a masked key ("sk-abc***xyz"); the emulator never echoes any part of it.
    return APIError(
        401,
        "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
        "invalid_request_error", None, "invalid_api_key",
    )


def beta_required(header_value):
    return invalid(
        "You must provide the 'OpenAI-Beta' header to access this API. Please try again by setting the "
        "header 'OpenAI-Beta: %s'." % header_value,
        None, "invalid_beta",
    )

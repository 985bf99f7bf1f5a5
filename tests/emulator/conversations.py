"""Conversations and conversation items (no beta header).

Conversations: create (``metadata``, up to 20 initial ``items``), get, update (``metadata``, which
replaces the map), delete (``conversation.deleted``). They cannot be listed.

Items: create a batch of 1-20 (the response is a list of the created items), list (``after`` cursor
only: the endpoint has no ``before``, which is ignored if sent; default order ``desc``), get, and
delete, which returns the parent ConversationResource, as the real API does.

Supported item types: ``message`` (``role`` user/system/developer/assistant, string or list
content), ``function_call`` and ``function_call_output``. String content becomes
``[{"type": "input_text", "text": ...}]`` for user/system/developer and
``[{"type": "output_text", "text": ..., "annotations": [], "logprobs": []}]`` for assistant; every
item gets an id (``msg_``/``fc_``/``fco_`` + 48 hex; an item replayed with its own ``id``, like an
output message, keeps it) and ``status: "completed"``. Assistant messages may use ``input_text``
parts (the EasyInputMessage form); they are stored as ``output_text``.
"""

from . import errors, validation as v
from .pagination import list_object, paginate, parse_list_params
from .router import Response
from .store import public

MAX_ITEMS = 20
INCLUDE = ("file_search_call.results", "web_search_call.results", "web_search_call.action.sources",
           "message.input_image.image_url", "computer_call_output.output.image_url",
           "code_interpreter_call.outputs", "reasoning.encrypted_content", "message.output_text.logprobs")
ROLES = ("user", "assistant", "system", "developer")
INPUT_PARTS = ("input_text", "input_image", "input_file")
OUTPUT_PARTS = ("output_text", "refusal", "input_text")  # input_text becomes output_text


def get_conversation(store, conversation_id):
    conversation = store.get("conversations", conversation_id)
    if conversation is None:
        raise errors.not_found("conversation", conversation_id, "conversation_id")
    return conversation


# ---- items ---------------------------------------------------------------------------------------
def _content_part(part, role, param):
    if not isinstance(part, dict):
        raise errors.invalid_type(param, "an object", part)
    kind = v.require(part, "type", param + ".")
    allowed = OUTPUT_PARTS if role == "assistant" else INPUT_PARTS
    if kind not in allowed:
        raise errors.invalid_value(param + ".type", kind, allowed)
    if kind in ("input_text", "output_text"):
        text = v.string(part, "text", prefix=param + ".")
        if text is None:
            raise errors.missing(param + ".text")
        if kind == "input_text" and role != "assistant":
            return {"type": "input_text", "text": text}
        annotations = v.array(part, "annotations", prefix=param + ".") or []
        logprobs = v.array(part, "logprobs", prefix=param + ".") or []
        return {"type": "output_text", "text": text, "annotations": annotations, "logprobs": logprobs}
    if kind == "refusal":
        refusal = v.string(part, "refusal", prefix=param + ".")
        if refusal is None:
            raise errors.missing(param + ".refusal")
        return {"type": "refusal", "refusal": refusal}
    if kind == "input_image":
        v.only(part, ("type", "image_url", "file_id", "detail"), param + ".")
        if part.get("image_url") is None and part.get("file_id") is None:
            raise errors.missing(param + ".image_url")
        v.string(part, "image_url", prefix=param + ".")
        v.string(part, "file_id", prefix=param + ".")
        detail = v.enum(part, "detail", ("low", "high", "auto", "original"), param + ".") or "auto"
        return {"type": "input_image", "image_url": part.get("image_url"), "file_id": part.get("file_id"),
                "detail": detail}
    # input_file
    v.only(part, ("type", "file_id", "filename", "file_data", "file_url", "detail"), param + ".")
    if not any(part.get(k) is not None for k in ("file_id", "file_data", "file_url")):
        raise errors.missing(param + ".file_id")
    out = {"type": "input_file"}
    for key in ("file_id", "filename", "file_data", "file_url"):
        if part.get(key) is not None:
            out[key] = v.string(part, key, prefix=param + ".")
    if "file_id" not in out:
        out["file_id"] = None
    return out


def _given_id(item, param, store):
    """An output item replayed with its ``id`` keeps it, unless that id is already taken."""
    given = v.string(item, "id", prefix=param + ".")
    if given is not None and store is not None and store.seq(given) is not None:
        raise errors.invalid("Duplicate item id '%s'." % given, param + ".id", "duplicate_item_id")
    return given


def _message(item, param, store):
    v.only(item, ("type", "role", "content", "status", "id", "phase"), param + ".")
    role = v.require(item, "role", param + ".")
    if role not in ROLES:
        raise errors.invalid_value(param + ".role", role, ROLES)
    content = v.require(item, "content", param + ".")
    if isinstance(content, str):
        if role == "assistant":
            parts = [{"type": "output_text", "text": content, "annotations": [], "logprobs": []}]
        else:
            parts = [{"type": "input_text", "text": content}]
    elif isinstance(content, list):
        parts = [_content_part(p, role, "%s.content[%d]" % (param, i)) for i, p in enumerate(content)]
    else:
        raise errors.invalid_type(param + ".content", "a string or an array", content)
    message = {"id": _given_id(item, param, store), "type": "message", "status": "completed", "content": parts,
               "role": role}
    phase = v.enum(item, "phase", ("commentary", "final_answer"), param + ".")
    if phase is not None:
        message["phase"] = phase
    return "item", message


def _function_call(item, param, store):
    v.only(item, ("type", "id", "call_id", "name", "arguments", "status", "namespace"), param + ".")
    for key in ("call_id", "name", "arguments"):
        if v.string(item, key, prefix=param + ".") is None:
            raise errors.missing(param + "." + key)
    out = {"id": _given_id(item, param, store), "type": "function_call", "status": "completed", "arguments": item["arguments"],
           "call_id": item["call_id"], "name": item["name"]}
    return "fc", out


def _function_call_output(item, param, store):
    v.only(item, ("type", "id", "call_id", "output", "status"), param + ".")
    if v.string(item, "call_id", prefix=param + ".") is None:
        raise errors.missing(param + ".call_id")
    output = v.require(item, "output", param + ".")
    if not isinstance(output, (str, list)):
        raise errors.invalid_type(param + ".output", "a string or an array", output)
    return "fco", {"id": _given_id(item, param, store), "type": "function_call_output", "status": "completed",
                   "call_id": item["call_id"], "output": output}


ITEM_BUILDERS = {"message": _message, "function_call": _function_call,
                 "function_call_output": _function_call_output}


def validate_items(items, store, param="items"):
    """Check every item; returns ``(id prefix, item without id)`` pairs. Nothing is stored here."""
    if items is None:
        return []
    if not isinstance(items, list):
        raise errors.invalid_type(param, "an array", items)
    if len(items) > MAX_ITEMS:
        raise errors.invalid(
            "Invalid '%s': array too long. Expected an array with maximum length %d, but got an array with "
            "length %d instead." % (param, MAX_ITEMS, len(items)), param, "array_above_max_length",
        )
    built = []
    for index, item in enumerate(items):
        item_param = "%s[%d]" % (param, index)
        if not isinstance(item, dict):
            raise errors.invalid_type(item_param, "an object", item)
        kind = item.get("type", "message" if "role" in item else None)
        if kind is None:
            raise errors.missing(item_param + ".type")
        builder = ITEM_BUILDERS.get(kind)
        if builder is None:
            raise errors.invalid_value(item_param + ".type", kind, list(ITEM_BUILDERS))
        built.append(builder(item, item_param, store))
    given = [item["id"] for _prefix, item in built if item["id"] is not None]
    if len(given) != len(set(given)):
        raise errors.invalid("Duplicate item ids in the request.", param, "duplicate_item_id")
    return built


def store_items(store, conversation_id, built):
    created = []
    for prefix, item in built:
        item = dict(item)
        item["id"] = store.register(item["id"]) if item["id"] else store.create_id(prefix)
        store.put("conversation_items", item, conversation_id)
        created.append(item)
    return created


def _include(req):
    return v.include(req.qlist("include") + req.qlist("include[]"), INCLUDE, "include")


# ---- conversation handlers -----------------------------------------------------------------------
def create(app, req):
    body = v.body_object(req.body)
    v.only(body, ("metadata", "items"))
    metadata = v.metadata(body) or {}
    built = validate_items(body.get("items"), app.store)
    store = app.store
    conversation = {"id": store.create_id("conv"), "object": "conversation", "created_at": int(req.now),
                    "metadata": metadata}
    store.put("conversations", conversation)
    store.table("conversation_items", conversation["id"])
    store_items(store, conversation["id"], built)
    return Response(public(conversation))


def retrieve(app, req):
    return Response(public(get_conversation(app.store, req.params["conversation_id"])))


def update(app, req):
    conversation = get_conversation(app.store, req.params["conversation_id"])
    body = v.body_object(req.body, required=True)
    v.only(body, ("metadata",))
    if "metadata" not in body:
        raise errors.missing("metadata")
    conversation["metadata"] = v.metadata(body) or {}
    app.store.touch()
    return Response(public(conversation))


def delete(app, req):
    conversation_id = req.params["conversation_id"]
    get_conversation(app.store, conversation_id)
    app.store.delete("conversations", conversation_id)
    app.store.drop_children("conversation_items", conversation_id)
    return Response({"id": conversation_id, "object": "conversation.deleted", "deleted": True})


# ---- item handlers -------------------------------------------------------------------------------
def create_items(app, req):
    conversation_id = req.params["conversation_id"]
    get_conversation(app.store, conversation_id)
    _include(req)
    body = v.body_object(req.body, required=True)
    v.only(body, ("items",))
    items = v.require(body, "items")
    v.array(body, "items", max_items=MAX_ITEMS, min_items=1)
    created = store_items(app.store, conversation_id, validate_items(items, app.store))
    return Response(list_object([public(i) for i in created], False))


def list_items(app, req):
    conversation_id = req.params["conversation_id"]
    get_conversation(app.store, conversation_id)
    _include(req)
    params = parse_list_params(req.qdict("limit", "order", "after"), app.store, allow_before=False)
    items = app.store.ordered("conversation_items", conversation_id)
    page, has_more = paginate(items, params, app.store.seq)
    return Response(list_object([public(i) for i in page], has_more))


def _get_item(store, conversation_id, item_id):
    item = store.get("conversation_items", item_id, conversation_id)
    if item is None:
        raise errors.not_found("item", item_id, "item_id")
    return item


def retrieve_item(app, req):
    conversation_id = req.params["conversation_id"]
    get_conversation(app.store, conversation_id)
    _include(req)
    return Response(public(_get_item(app.store, conversation_id, req.params["item_id"])))


def delete_item(app, req):
    conversation_id = req.params["conversation_id"]
    conversation = get_conversation(app.store, conversation_id)
    _get_item(app.store, conversation_id, req.params["item_id"])
    app.store.delete("conversation_items", req.params["item_id"], conversation_id)
    return Response(public(conversation))


def register(router):
    router.add("POST", "/v1/conversations", create)
    router.add("GET", "/v1/conversations/{conversation_id}", retrieve)
    router.add("POST", "/v1/conversations/{conversation_id}", update)
    router.add("DELETE", "/v1/conversations/{conversation_id}", delete)
    router.add("POST", "/v1/conversations/{conversation_id}/items", create_items)
    router.add("GET", "/v1/conversations/{conversation_id}/items", list_items)
    router.add("GET", "/v1/conversations/{conversation_id}/items/{item_id}", retrieve_item)
    router.add("DELETE", "/v1/conversations/{conversation_id}/items/{item_id}", delete_item)

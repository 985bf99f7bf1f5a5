"""Conversations and conversation items (no beta header).

Conversations: create (``metadata``, up to 20 initial ``items``, which the answer does not echo), get,
update (``metadata``, which replaces the map), delete (``conversation.deleted``). They cannot be listed.
A conversation is exactly ``{id, object, created_at, metadata}`` (``metadata`` ``{}`` when none is sent).

Items (every form of the spec's ``InputItem`` union; what each is stored as: conversation_items.py): create
a batch of 1-20 (the answer is a list of the created items), list (``after`` cursor only: the endpoint has
no ``before``, which is ignored if sent; default order ``desc``, newest first), get, and delete, which
returns the parent ConversationResource, as the real API does. ``include`` is honoured by create, list and
get.
"""

from . import conversation_items as items_, errors, validation as v
from .pagination import list_object, paginate, parse_list_params
from .router import Response
from .store import public


def get_conversation(store, conversation_id):
    conversation = store.get("conversations", conversation_id)
    if conversation is None:
        raise errors.not_found("conversation", conversation_id, "conversation_id")
    return conversation


class _ItemCursors:
    """What parse_list_params asks of a store, for one conversation's item ids (unique per conversation)."""

    def __init__(self, store, conversation_id):
        self.store = store
        self.conversation_id = conversation_id

    def seq(self, item_id):
        return self.store.seq(items_.item_key(self.conversation_id, item_id))


def _include(req):
    return v.include(req.qlist("include") + req.qlist("include[]"), items_.INCLUDE, "include")


# ---- conversation handlers -----------------------------------------------------------------------
def create(app, req):
    body = v.body_object(req.body)
    v.only(body, ("metadata", "items"))
    metadata = v.metadata(body) or {}
    built = items_.build_items(body.get("items"), app.store)
    store = app.store
    conversation = {"id": store.create_id("conv"), "object": "conversation", "created_at": int(req.now),
                    "metadata": metadata}
    store.put("conversations", conversation)
    store.table("conversation_items", conversation["id"])
    items_.store_items(store, conversation["id"], built)
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
    include = _include(req)
    body = v.body_object(req.body, required=True)
    v.only(body, ("items",))
    items = v.require(body, "items")
    v.array(body, "items", max_items=items_.MAX_ITEMS, min_items=1)
    created = items_.store_items(app.store, conversation_id, items_.build_items(items, app.store, conversation_id))
    return Response(list_object([items_.present(i, include) for i in created], False))


def list_items(app, req):
    conversation_id = req.params["conversation_id"]
    get_conversation(app.store, conversation_id)
    include = _include(req)
    cursors = _ItemCursors(app.store, conversation_id)
    params = parse_list_params(req.qdict("limit", "order", "after"), cursors, allow_before=False)
    page, has_more = paginate(items_.ordered(app.store, conversation_id), params, cursors.seq)
    return Response(list_object([items_.present(i, include) for i in page], has_more))


def _get_item(store, conversation_id, item_id):
    item = store.get("conversation_items", item_id, conversation_id)
    if item is None:
        raise errors.not_found("item", item_id, "item_id")
    return item


def retrieve_item(app, req):
    conversation_id = req.params["conversation_id"]
    get_conversation(app.store, conversation_id)
    include = _include(req)
    return Response(items_.present(_get_item(app.store, conversation_id, req.params["item_id"]), include))


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

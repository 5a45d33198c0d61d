"""A light Streamlit client for load tests: one session over the websocket a browser uses.

It speaks Streamlit's protocol (``/_stcore/stream``, protobuf ``BackMsg`` / ``ForwardMsg``)
without drawing anything, so fifty sessions cost the machine little next to the server. A run
is finished when ``ForwardMsg.script_finished`` arrives, as the browser's spinner stops then.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

FINISHED = ForwardMsg.ScriptFinishedStatus
# A run the server cut short because another was asked for is not a finished page.
DONE = {FINISHED.FINISHED_SUCCESSFULLY, FINISHED.FINISHED_WITH_COMPILE_ERROR}


class RunFailed(RuntimeError):
    """The server showed an exception or could not compile the script."""


@dataclass
class Session:
    """One browser tab's session, as the server sees it: its page, URL and widget values."""

    base: str  # ws://127.0.0.1:PORT
    page: str  # the url_path, e.g. "clients"
    params: dict[str, str]
    cookie: str | None = None  # sent with the handshake (nginx routes on it)
    ws: ClientConnection | None = None
    query_string: str = ""
    page_script_hash: str = ""
    widgets: dict[str, str] = field(default_factory=dict)  # user key -> element id
    served_by: str | None = None  # nginx's X-Kam-Process, when behind it
    errors: int = 0
    pages_run: list[str] = field(default_factory=list)  # the page hash of each run, in order

    async def open(self, timeout: float) -> float:
        """Connect and run the page once, as a browser opening the link; seconds taken."""
        headers = {"Cookie": self.cookie} if self.cookie else None
        started = time.perf_counter()
        self.ws = await connect(
            f"{self.base}/_stcore/stream",
            subprotocols=["streamlit"],  # type: ignore[list-item]
            additional_headers=headers,
            max_size=None,
            open_timeout=timeout,
            ping_interval=None,
        )
        if self.ws.response is not None:
            self.served_by = self.ws.response.headers.get("X-Kam-Process")
        self.query_string = urlencode(self.params)
        await self._run(ClientState(query_string=self.query_string, page_name=self.page), timeout)
        return time.perf_counter() - started

    async def change(self, key: str, values: list[str], timeout: float) -> float:
        """Set the multiselect with user key ``key`` to ``values`` and wait for the run."""
        state = ClientState(query_string=self.query_string, page_script_hash=self.page_script_hash)
        widget = WidgetState(id=self.widgets[key])
        widget.string_array_value.data.extend(values)
        state.widget_states.widgets.append(widget)
        started = time.perf_counter()
        await self._run(state, timeout)
        taken = time.perf_counter() - started
        if self.pages_run and self.pages_run[-1] != state.page_script_hash:
            raise RunFailed(f"{self.page}: the change ran another page")
        return taken

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def _run(self, state: ClientState, timeout: float) -> None:
        assert self.ws is not None
        msg = BackMsg()
        msg.rerun_script.CopyFrom(state)
        await self.ws.send(msg.SerializeToString())
        failed = False
        async with asyncio.timeout(timeout):
            while True:
                fwd = ForwardMsg()
                fwd.ParseFromString(await self.ws.recv())
                kind = fwd.WhichOneof("type")
                if kind == "new_session":
                    self.page_script_hash = fwd.new_session.page_script_hash
                elif kind == "navigation":
                    # The page st.navigation runs (new_session names app.py): a rerun must ask
                    # for it, or the server runs the default page (My desk).
                    self.page_script_hash = fwd.navigation.page_script_hash
                    self.pages_run.append(fwd.navigation.page_script_hash)
                elif kind == "page_info_changed":
                    self.query_string = fwd.page_info_changed.query_string
                elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                    element = fwd.delta.new_element
                    kind_of = element.WhichOneof("type")
                    if kind_of == "exception":
                        failed = True
                    elif kind_of is not None:
                        widget_id = getattr(getattr(element, kind_of), "id", "")
                        if isinstance(widget_id, str) and widget_id.startswith("$$ID-"):
                            self.widgets[widget_id.rsplit("-", 1)[-1]] = widget_id
                elif kind == "script_finished" and fwd.script_finished in DONE:
                    if failed or fwd.script_finished != FINISHED.FINISHED_SUCCESSFULLY:
                        self.errors += 1
                        raise RunFailed(f"{self.page}: the run failed")
                    return

"""The ``accord_expectation`` fixture in a real pytest run: one consumer-provider pair is
one file that accumulates the interactions of every test; a changed one is refused
unless ``--accord-replace-expectations``; an unexercised interaction is not recorded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

GET_USER = """
import httpx
from accord.consumers import integer, string

def _client(e):
    return httpx.Client(transport=e.transport(), base_url="http://users")

def test_get_user(accord_expectation):
    e = accord_expectation("billing", provider="users-service")
    (e.upon_receiving("get user 123").given("user 123 exists")
      .with_request("GET", "/users/123")
      .will_respond_with(200, contract="users.user@^1",
                         body={"id": integer(123), "name": string("NAME")}))
    assert _client(e).get("/users/123").status_code == 200

def test_missing_user(accord_expectation):
    e = accord_expectation("billing", provider="users-service")
    (e.upon_receiving("get a missing user").given("no user 404")
      .with_request("GET", "/users/404")
      .will_respond_with(404))
    assert _client(e).get("/users/404").status_code == 404
"""


def _pytest(where: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    # The child runs in ``where``: a relative PYTHONPATH (``src``) would not resolve
    # there and it would import whichever accord is installed, not this tree's.
    source = str(Path(__file__).resolve().parents[2] / "src")
    path = os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "ACCORD_REGISTRY": str(where / "reg"), "PYTHONPATH": path}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra, str(where)],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _file(where: Path) -> Path:
    return where / "reg/consumers/billing/users-service.json"


def test_fixture_accumulates_one_pair_and_refuses_a_changed_duplicate(tmp_path: Path) -> None:
    (tmp_path / "test_consumer.py").write_text(GET_USER.replace("NAME", "Ada"))
    run = _pytest(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    doc = json.loads(_file(tmp_path).read_text())
    assert [i["description"] for i in doc["interactions"]] == [
        "get user 123",
        "get a missing user",
    ]
    before = _file(tmp_path).read_bytes()
    # the test changed its expectation: the recorded one is not silently overwritten
    (tmp_path / "test_consumer.py").write_text(GET_USER.replace("NAME", "Bob"))
    run = _pytest(tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "expectation-conflict" in run.stdout
    assert "--accord-replace-expectations" in run.stdout  # says how to replace it
    assert "2 passed, 1 error" in run.stdout  # the test passed, its record did not
    assert "_expectations.py" not in run.stdout  # the message, not accord's fixture source
    assert _file(tmp_path).read_bytes() == before
    # ... unless the user asks; two tests of one run that disagree still conflict
    changed = GET_USER.replace("NAME", "Carol").split("def test_get_user", 1)[1]
    changed = "def test_changed_get_user" + changed.split("def test_missing_user", 1)[0]
    (tmp_path / "test_consumer.py").write_text(GET_USER.replace("NAME", "Bob") + "\n" + changed)
    run = _pytest(tmp_path, "--accord-replace-expectations")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "3 passed, 1 error" in run.stdout
    assert "ERROR test_consumer.py::test_changed_get_user" in run.stdout
    doc = json.loads(_file(tmp_path).read_text())
    assert len(doc["interactions"]) == 2
    assert doc["interactions"][0]["response"]["body"]["example"]["name"] == "Bob"


def test_fixture_fails_on_an_unexercised_interaction_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "test_consumer.py").write_text(
        "import httpx\n"
        "def test_only_one_used(accord_expectation):\n"
        "    e = accord_expectation('billing', provider='users-service')\n"
        "    e.upon_receiving('a').with_request('GET', '/a').will_respond_with(200)\n"
        "    e.upon_receiving('b').with_request('GET', '/b').will_respond_with(200)\n"
        "    c = httpx.Client(transport=e.transport(), base_url='http://users')\n"
        "    assert c.get('/a').status_code == 200\n"
    )
    run = _pytest(tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "'b' was never exercised" in run.stdout
    assert "_expectations.py" not in run.stdout
    assert not (tmp_path / "reg/consumers").exists()


SERVED = """
import json, threading, urllib.request
from accord.consumers import integer

def _user(e):
    (e.upon_receiving('get user').with_request('GET', '/users/1', headers={'X-Api-Key': 'k'})
      .will_respond_with(200, body={'id': integer(1)}))

def test_served(accord_expectation):
    e = accord_expectation('billing', provider='users-service')
    _user(e)
    with e.serve() as stub:
        req = urllib.request.Request(stub.base_url + '/users/1', headers={'X-Api-Key': 'k'})
        assert json.load(urllib.request.urlopen(req, timeout=5)) == {'id': 1}

def test_left_running_without_the_header(accord_expectation):
    e = accord_expectation('billing', name='other', provider='users-service')
    _user(e)
    stub = e.serve()  # never closed by the test: the fixture stops it
    try:
        urllib.request.urlopen(stub.base_url + '/users/1', timeout=5)
    except urllib.error.HTTPError as exc:
        assert exc.code == 500

def test_no_stub_thread_outlives_the_tests():
    assert not [t for t in threading.enumerate() if t.name.startswith('accord-stub')]
"""


def test_fixture_with_the_loopback_stub_records_only_what_was_matched(tmp_path: Path) -> None:
    (tmp_path / "test_consumer.py").write_text(SERVED)
    run = _pytest(tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "3 passed, 1 error" in run.stdout
    assert "ERROR test_consumer.py::test_left_running_without_the_header" in run.stdout
    assert "header X-Api-Key is missing" in run.stdout
    assert "'get user' was never exercised" in run.stdout
    assert _file(tmp_path).exists()
    assert not (tmp_path / "reg/consumers/billing/other.json").exists()


MESSAGES = """
from accord.consumers import string

def _orders(e):
    e.message('order placed', 'orders.order-placed@^1', {'order_id': string('o-1')})

def test_consumed(accord_expectation):
    e = accord_expectation('billing', provider='orders-service')
    _orders(e)
    assert e.consume('order placed', lambda body, meta: body['order_id']) == 'o-1'

def test_declared_only(accord_expectation):
    _orders(accord_expectation('billing', name='other', provider='orders-service'))
"""


def test_fixture_fails_on_a_message_never_consumed_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "test_consumer.py").write_text(MESSAGES)
    run = _pytest(tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "2 passed, 1 error" in run.stdout
    assert "ERROR test_consumer.py::test_declared_only" in run.stdout
    assert "message 'order placed' was never consumed" in run.stdout
    assert (tmp_path / "reg/consumers/billing/orders-service.json").exists()
    assert not (tmp_path / "reg/consumers/billing/other.json").exists()

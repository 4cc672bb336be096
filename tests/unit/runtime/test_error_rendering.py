"""Errors rendered for headers and log lines say where and why, never the input values."""

from __future__ import annotations

import io
import json
import logging

import pytest
import structlog
from pydantic import BaseModel, ValidationError

from sourcer.runtime.errors import describe_error, validation_summary
from sourcer.runtime.logging import configure_logging, get_logger

pytestmark = pytest.mark.unit

SECRET = "jana.novakova@private.example"


class Talent(BaseModel):
    first_name: str
    age: int


def _error() -> ValidationError:
    try:
        Talent.model_validate({"first_name": 7, "age": SECRET})
    except ValidationError as exc:
        return exc
    raise AssertionError("no validation error")


def test_a_validation_error_is_summarised_without_its_inputs() -> None:
    error = _error()
    assert SECRET in str(error)  # what pydantic itself would print
    summary = validation_summary(error)
    assert summary.startswith("2 validation errors for Talent")
    assert "first_name: Input should be a valid string [type=string_type]" in summary
    assert "age: Input should be a valid integer" in summary
    assert SECRET not in summary and "input_value" not in summary
    assert describe_error(error) == f"ValidationError: {summary}"
    assert describe_error(ValueError("plain")) == "ValueError: plain"


def test_no_log_line_carries_input_values(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither a logged traceback of a pydantic error (also as the cause of another), nor
    pydantic text code put into a field."""
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    configure_logging(fmt="json", level="INFO")
    log = get_logger("test")
    try:
        try:
            raise _error()
        except ValidationError as exc:
            raise RuntimeError("handler failed") from exc
    except RuntimeError:
        log.exception("handler.crashed")
    log.warning("mail.failed", error=str(_error()))
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.getLogger().handlers.clear()
    structlog.reset_defaults()
    assert [line["event"] for line in lines] == ["handler.crashed", "mail.failed"]
    assert lines[0]["error"].startswith("RuntimeError: handler failed (from ValidationError: 2 ")
    assert "input_value=<hidden>" in lines[1]["error"]
    for line in lines:
        assert SECRET not in json.dumps(line)

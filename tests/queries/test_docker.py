"""The docker/ files users run (no Docker engine here: their content is checked, not run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from deportgraph.queries.backends import Neo4jBackend

DOCKER = Path(__file__).resolve().parents[2] / "docker"


def test_compose_starts_neo4j_5_community_with_auth_volume_and_healthcheck() -> None:
    yaml = pytest.importorskip("yaml")
    compose = yaml.safe_load((DOCKER / "compose.yml").read_text(encoding="utf-8"))
    neo4j = compose["services"]["neo4j"]
    assert neo4j["image"].startswith("neo4j:5") and "community" in neo4j["image"]
    assert {"7474:7474", "7687:7687"} <= set(neo4j["ports"])
    assert neo4j["env_file"] == ["neo4j.env"]
    assert "neo4j-data:/data" in neo4j["volumes"] and "neo4j-data" in compose["volumes"]
    assert "7474" in " ".join(neo4j["healthcheck"]["test"])
    tool = compose["services"]["deportgraph"]
    assert tool["build"] == {"context": "..", "dockerfile": "docker/Dockerfile"}
    assert tool["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"
    assert tool["depends_on"]["neo4j"]["condition"] == "service_healthy"


def test_env_example_holds_only_the_auth_the_neo4j_image_reads() -> None:
    lines = [line for line in (DOCKER / "neo4j.env.example").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert len(lines) == 1 and lines[0].startswith("NEO4J_AUTH=neo4j/")


def test_dockerfile_installs_the_tool() -> None:
    text = (DOCKER / "Dockerfile").read_text(encoding="utf-8")
    assert "FROM python:3.11-slim" in text and "RUN pip install ." in text
    assert 'ENTRYPOINT ["deportgraph"]' in text
    for folder in ("src", "graph", "loaders", "queries"):
        assert f"COPY {folder} ./{folder}" in text


def test_neo4j_settings_fall_back_to_the_docker_auth_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, ...]] = []
    monkeypatch.setattr(Neo4jBackend, "__init__", lambda self, *args: seen.append(args))
    for name in ("NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NEO4J_URI", "bolt://localhost:7687")
    monkeypatch.setenv("NEO4J_AUTH", "neo4j/s3cret/with-slash")
    Neo4jBackend.from_env()
    monkeypatch.setenv("NEO4J_PASSWORD", "explicit")
    Neo4jBackend.from_env()
    assert seen == [("bolt://localhost:7687", "neo4j", "s3cret/with-slash", "neo4j"),
                    ("bolt://localhost:7687", "neo4j", "explicit", "neo4j")]

from schema import SDL_PATH, sdl


def test_committed_sdl_matches_the_code() -> None:
    committed = SDL_PATH.read_text(encoding="utf-8")
    assert committed == sdl(), (
        "schema/schema.graphql is stale: run `.venv/bin/hub schema export` and commit the result"
    )


def test_sdl_has_the_lookup_queries() -> None:
    text = sdl()
    assert "customer(id: ID!): Customer" in text
    assert "customerByIdentifier(kind: IdentifierKind!, value: String!): Customer" in text

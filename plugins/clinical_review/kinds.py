"""What kind of text a page is: clinical (gives clinical advice) or general (privacy, about...)."""

CLINICAL, GENERAL = "clinical", "general"
KINDS = (CLINICAL, GENERAL)


def content_kind(metadata: dict) -> str:
    """``clinical`` when the metadata says ``Kind: clinical``, else ``general`` (the default for
    pages; articles are always clinical, whatever their metadata)."""
    return CLINICAL if str(metadata.get("kind") or "").strip().lower() == CLINICAL else GENERAL

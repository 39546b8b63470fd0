"""One small error tree, raised by the core and translated once at each edge."""


class AssistantError(Exception):
    """Base of every error the product raises on purpose."""


class IngestError(AssistantError):
    """A file could not be turned into chunks (broken, empty, encrypted, unsupported)."""


class NotFound(AssistantError):
    """A document, page or chunk that was asked for does not exist."""


class BackendUnavailable(AssistantError):
    """A model or a store cannot be loaded or reached; the message says how to fix it."""


class EmbeddingMismatch(AssistantError):
    """The index was built with another embedding model than the one configured."""


class InvalidRequest(AssistantError):
    """A request is well-formed but asks for something impossible."""


class NotConfigured(AssistantError):
    """A part of the product was asked to start without the settings it needs; the message names them."""


class Unauthorized(AssistantError):
    """No API key, or one that is unknown or revoked."""


class Forbidden(AssistantError):
    """A valid key used beyond its scope or from an origin it does not list."""


class RateLimited(AssistantError):
    """A quota is spent; `retry_after` says in how many seconds it refills."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after

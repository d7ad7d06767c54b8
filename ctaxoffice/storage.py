"""Static files: whitenoise's compressed, cache-busted storage, its URLs computed once."""

from functools import lru_cache

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """A file's hashed URL never changes while the process runs: remember it.

    Each `{% static %}` otherwise re-derives it from the manifest (several per page).
    """

    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        return self._cached_url(name)

    @lru_cache(maxsize=1024)  # noqa: B019 - one storage instance per process
    def _cached_url(self, name):
        return super().url(name)

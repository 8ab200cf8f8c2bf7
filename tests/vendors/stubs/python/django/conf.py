"""A stand-in for django.conf: settings read from the environment."""

import os


class _Settings:
    def __getattr__(self, name):
        try:
            return os.environ[name]
        except KeyError:
            raise AttributeError(f"setting {name} is not in the environment") from None


settings = _Settings()

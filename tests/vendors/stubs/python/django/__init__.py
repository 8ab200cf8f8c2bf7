"""A stand-in for Django: only django.conf.settings, for the vendors' DRF samples."""

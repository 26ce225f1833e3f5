"""Resumable uploads: a small server of the tus 1.0.0 protocol (https://tus.io/protocols/resumable-upload).

Core protocol plus the creation, checksum, termination and expiration extensions; nothing here
knows a programme. A programme declares *targets* in ``settings.UPLOAD_RESUMABLE_TARGETS`` (a name
→ dotted path of a class following ``targets.UploadTarget``): the target checks at creation that the
user may attach a file of that name and size where the metadata says, and at completion receives
the finished file, runs the same content checks as its plain upload and attaches it.

* ``models.Upload``   one upload: its owner (every query is scoped to them), declared length,
                      offset, metadata, expiry; the bytes are in a file under
                      ``UPLOAD_RESUMABLE_ROOT`` (the private media root by default).
* ``files``           appending a request body in small pieces (flat memory), SHA-256 by streaming,
                      the finished file handed on as an ``UploadedFile`` that storage can move.
* ``services``        create / append / terminate / purge; errors are ``TusError`` (status + message).
* ``views``, ``urls`` the HTTP endpoint: ``POST``/``OPTIONS`` on ``/uploads/tus/``,
                      ``HEAD``/``PATCH``/``DELETE`` on ``/uploads/tus/<token>/``.
* ``tasks``, ``management/commands/purge_uploads``  the periodic removal of expired partial uploads.
"""

"""A stand-in for fastapi.responses."""


class JSONResponse:
    def __init__(self, content=None, status_code=200):
        self.content = content
        self.status_code = status_code

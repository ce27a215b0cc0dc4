"""The JavaScript cookie challenge some article paths answer with."""


def challenge_token(n: int) -> str:
    return format(n * 7 + 3, "x")


def has_valid_cookie(cookie_header: str, cookie_name: str, token: str) -> bool:
    # Split by hand: http.cookies stops at the first cookie it finds malformed.
    for pair in cookie_header.split(";"):
        name, _, value = pair.strip().partition("=")
        if name == cookie_name and value.strip('"') == token:
            return True
    return False


def challenge_page(n: int, cookie_name: str) -> str:
    """A page that a browser solves by itself: compute the token, set the cookie, reload."""
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>Memeriksa browser Anda - Sulselsatu</title>
</head>
<body>
<div id="ss-chk" data-n="{n}">Memeriksa browser Anda, mohon tunggu...</div>
<script>
(function () {{
  var n = parseInt(document.getElementById("ss-chk").getAttribute("data-n"), 10);
  var token = (n * 7 + 3).toString(16);
  document.cookie = "{cookie_name}=" + token + "; path=/";
  location.reload();
}})();
</script>
</body>
</html>
"""

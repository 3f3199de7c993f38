"""Who may come in and how (等保 8.1.4.1 身份鉴别, 8.1.4.3 安全审计): the login audit, lockout after
failed logins (django-axes), idle sessions, password rules and history, the second factor (TOTP with
django-otp, recovery codes) and API tokens that expire and can be revoked."""

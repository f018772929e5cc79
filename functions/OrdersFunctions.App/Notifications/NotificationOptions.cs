namespace OrdersFunctions.App.Notifications;

/// <summary>Settings <c>Notifications__*</c>. SMTP is used when <see cref="SmtpOptions.Host"/> is set, else .eml
/// files.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";
    public const string DefaultOutboxPath = ".data/outbox";

    /// <summary>Folder for <c>{orderId}.eml</c> files when no SMTP host is set.</summary>
    public string OutboxPath { get; set; } = DefaultOutboxPath;

    public SmtpOptions Smtp { get; set; } = new();
}

/// <summary>Settings <c>Notifications__Smtp__*</c>.</summary>
public sealed class SmtpOptions
{
    public const int DefaultPort = 587;
    public const string DefaultFrom = "orders@example.com";

    /// <summary>The SMTP server; empty means "write .eml files instead".</summary>
    public string? Host { get; set; }

    /// <summary>587 (STARTTLS when offered) by default; 465 uses TLS from the start.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>The sender address.</summary>
    public string From { get; set; } = DefaultFrom;

    /// <summary>Log-in name; empty for no authentication.</summary>
    public string? UserName { get; set; }

    /// <summary>Password (a secret: a Key Vault reference in Azure).</summary>
    public string? Password { get; set; }
}

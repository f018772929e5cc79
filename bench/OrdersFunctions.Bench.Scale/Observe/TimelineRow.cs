namespace OrdersFunctions.Bench.Scale.Observe;

/// <summary>One second of a scenario: instances, each group's lag and pending, orders accepted in that second,
/// messages received so far, and the notification function's latest target.</summary>
public sealed record TimelineRow(
    string Scenario,
    double Seconds,
    int Instances,
    int DesiredInstances,
    long NotificationsLag,
    long NotificationsPending,
    long SpreadsheetsLag,
    long SpreadsheetsPending,
    int OrdersAccepted,
    long MessagesReceived,
    int? NotificationsTarget,
    string? NotificationsRule,
    double? NotificationsRate)
{
    public long NotificationsBacklog => NotificationsLag + NotificationsPending;

    public long SpreadsheetsBacklog => SpreadsheetsLag + SpreadsheetsPending;

    public bool Drained => NotificationsBacklog == 0 && SpreadsheetsBacklog == 0;
}

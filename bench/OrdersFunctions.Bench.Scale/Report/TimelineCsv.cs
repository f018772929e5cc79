using System.Globalization;
using System.Text;
using OrdersFunctions.Bench.Scale.Observe;

namespace OrdersFunctions.Bench.Scale.Report;

/// <summary>The per-second record of every scenario in one CSV file.</summary>
public static class TimelineCsv
{
    public static void Write(string path, IEnumerable<TimelineRow> rows)
    {
        var text = new StringBuilder("scenario,seconds,instances,desired_instances,notifications_lag,"
            + "notifications_pending,spreadsheets_lag,spreadsheets_pending,orders_accepted_per_s,messages_received,"
            + "notifications_target,notifications_rule,notifications_entries_per_instance_s\n");
        foreach (var r in rows)
        {
            object?[] fields =
            [
                r.Scenario, r.Seconds.ToString("0.0", CultureInfo.InvariantCulture), r.Instances, r.DesiredInstances,
                r.NotificationsLag, r.NotificationsPending, r.SpreadsheetsLag, r.SpreadsheetsPending, r.OrdersAccepted,
                r.MessagesReceived, r.NotificationsTarget, r.NotificationsRule,
                r.NotificationsRate?.ToString("0.0", CultureInfo.InvariantCulture),
            ];
            text.AppendLine(string.Join(',', fields.Select(f => Convert.ToString(f, CultureInfo.InvariantCulture))));
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text.ToString());
    }
}

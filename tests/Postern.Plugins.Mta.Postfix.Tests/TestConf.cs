namespace Postern.Plugins.Mta.Postfix.Tests;

/// <summary>A postern.conf for a test: quarantine and run_dir in the test's directory, the [postfix] addresses given,
/// no syslog, plus any extra lines for [global].</summary>
internal static class TestConf
{
    public static string Write(string dir, string name, int listen, int reinject, string global = "")
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, $"""
            [global]
            av_quarantine_dir = {Path.Combine(dir, "quarantine")}
            run_dir = {Path.Combine(dir, "run")}
            syslog_enabled = no
            {global}

            [postfix]
            listen = 127.0.0.1:{listen}
            reinject = 127.0.0.1:{reinject}
            max_connections = 10

            """);
        return path;
    }
}

using System.Reflection;
using Autofac.Core;

namespace Postern.Core.Plugins;

/// <summary>Turns a plugin's exception into the one-line reason an administrator reads.</summary>
internal static class PluginFailure
{
    public static string Describe(Exception exception)
    {
        var cause = Unwrap(exception);
        // One line per plugin in the log and in `postern plugins list`, whatever the message looked like.
        var oneLine = string.Join(' ', cause.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return $"{cause.GetType().Name}: {oneLine}";
    }

    // Reflection and Autofac wrap the plugin's own exception; the inner one is what the plugin's author needs to see.
    private static Exception Unwrap(Exception exception)
    {
        var current = exception;
        while (current is TargetInvocationException or DependencyResolutionException or AggregateException
            && current.InnerException is { } inner)
        {
            current = inner;
        }

        return current;
    }
}

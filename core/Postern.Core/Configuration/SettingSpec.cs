namespace Postern.Core.Configuration;

/// <summary>A known setting: its name, how it is read, its built-in default and what it does.</summary>
public sealed record SettingSpec(string Name, SettingKind Kind, string Default, string Description, IReadOnlyList<string>? Choices = null)
{
    /// <summary>Checks a value; returns <c>null</c> when it is good, else what is wrong with it.</summary>
    public string? Check(string value) => Kind switch
    {
        SettingKind.Bool when !ConfigValue.TryParseBool(value, out _) => $"'{value}' is not yes or no",
        SettingKind.Integer when !int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _) =>
            $"'{value}' is not a non-negative whole number",
        SettingKind.Size when !ConfigValue.TryParseSize(value, out _) => $"'{value}' is not a size (such as 1048576, 512K, 100M, 2G)",
        SettingKind.Duration when !ConfigValue.TryParseDuration(value, out _) => $"'{value}' is not a duration (such as 30, 30s, 500ms, 5m)",
        SettingKind.Choice when Choices is not null && !Choices.Contains(value, StringComparer.OrdinalIgnoreCase) =>
            $"'{value}' is not one of: {string.Join(", ", Choices)}",
        SettingKind.PathList when value.Split(',').Any(p => p.Trim().Length == 0) && value.Length > 0 => "empty path in the list",
        _ => null,
    };
}

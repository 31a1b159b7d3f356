namespace Postern.Sdk.Scanning;

/// <summary>An engine's state for logs, <c>postern plugins list</c> and metrics. Immutable.</summary>
/// <param name="State">Where the engine stands.</param>
/// <param name="Detail">A one-line explanation, such as the database summary or the failure.</param>
/// <param name="SignatureCount">How many signatures are in service, 0 when not applicable.</param>
/// <param name="DatabaseVersion">A version or timestamp of the loaded database, if the engine has one.</param>
public sealed record EngineStatus(EngineState State, string? Detail, long SignatureCount = 0, string? DatabaseVersion = null)
{
    /// <summary>The state of an engine that has not been initialised.</summary>
    public static EngineStatus NotStarted { get; } = new(EngineState.Starting, "not initialised");
}

namespace Postern.Sdk.Scanning;

/// <summary>Where an engine stands.</summary>
public enum EngineState
{
    /// <summary>Not yet initialised.</summary>
    Starting,

    /// <summary>In service.</summary>
    Ready,

    /// <summary>Out of service; <see cref="EngineStatus.Detail"/> says why.</summary>
    Failed,
}

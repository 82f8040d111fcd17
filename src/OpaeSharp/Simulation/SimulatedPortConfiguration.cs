namespace OpaeSharp.Simulation;

/// <summary>One port of a configured card: the AFU model it holds and the faults armed on it from the start.</summary>
/// <param name="afu">A model's name ("nlb0", "he-lpbk", one registered with <see cref="SimulatorConfiguration.AddModel"/>) or its AFU id.</param>
public sealed class SimulatedPortConfiguration(string afu)
{
    /// <summary>The model's name or AFU id.</summary>
    public string Afu { get; } = !string.IsNullOrWhiteSpace(afu) ? afu : throw new ArgumentException("a port names the AFU model it holds", nameof(afu));

    /// <summary>Faults armed on the port when the simulator is made.</summary>
    public IList<InjectedFault> Faults { get; } = [];

    /// <summary>A port holding the model named <paramref name="afu"/>, with no faults.</summary>
    public static implicit operator SimulatedPortConfiguration(string afu) => new(afu);

    /// <summary>A port holding the model named <paramref name="afu"/> (the named alternative of the conversion).</summary>
    public static SimulatedPortConfiguration FromString(string afu) => new(afu);

    /// <inheritdoc/>
    public override string ToString() => Faults.Count == 0 ? Afu : $"{Afu} ({Faults.Count} fault(s))";
}

namespace OpaeSharp;

/// <summary>Whether an accelerator is held by a process (<c>fpga_accelerator_state</c>), with OPAE's values.</summary>
public enum AcceleratorState
{
    /// <summary>Open by some handle (on DFL: held exclusively by another process).</summary>
    Assigned = 0,

    /// <summary>Free to open.</summary>
    Unassigned = 1,
}

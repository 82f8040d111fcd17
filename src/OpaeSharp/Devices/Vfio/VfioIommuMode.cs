namespace OpaeSharp.Devices.Vfio;

/// <summary>How the vfio-pci backend attaches a device to an IOMMU (<c>OPAESHARP_VFIO_IOMMU</c>).</summary>
internal enum VfioIommuMode
{
    /// <summary>iommufd when <c>/dev/iommu</c> and the device's VFIO cdev can be opened, else the type1 container.</summary>
    Auto,

    /// <summary>Always the type1 (v2) container and the IOMMU group (<c>/dev/vfio/vfio</c>, <c>/dev/vfio/N</c>).</summary>
    Type1,

    /// <summary>Always iommufd (<c>/dev/iommu</c>, <c>/dev/vfio/devices/vfioN</c>); fails where the kernel has none.</summary>
    Iommufd,
}

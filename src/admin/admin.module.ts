import { Module } from '@nestjs/common';
import { DirectoryRepository } from '../directory/directory.repository';
import { DirectoryLifecycleRepository } from '../directory/directory-lifecycle.repository';
import { UserErasureRepository } from '../directory/user-erasure.repository';
import { AdminController } from './admin.controller';
import { DirectoryAdminController } from './directory-admin.controller';
import { DirectoryAdminService } from './directory-admin.service';
import { ProvisioningService } from './provisioning.service';
import { UserErasureService } from './user-erasure.service';

@Module({
  controllers: [AdminController, DirectoryAdminController],
  providers: [ProvisioningService, DirectoryAdminService, UserErasureService, DirectoryRepository, DirectoryLifecycleRepository, UserErasureRepository],
  exports: [ProvisioningService, DirectoryAdminService, UserErasureService, DirectoryRepository],
})
export class AdminModule {}

import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { DirectoryRepository } from '../directory/directory.repository';
import { ProvisioningService } from './provisioning.service';

@Module({ controllers: [AdminController], providers: [ProvisioningService, DirectoryRepository], exports: [ProvisioningService, DirectoryRepository] })
export class AdminModule {}
